package io.onetimeshare.spring;

import io.onetimeshare.redis.RedisStore;
import io.onetimeshare.redis.ReplicaAck;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The application's Redis, through Spring Data Redis's Lettuce client (single node, Sentinel or Cluster). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
    "io.onetimeshare.redis.RedisStore"})
class OnTheApplicationsRedis {
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBean(RedisConnectionFactory.class)
  @Nullable OneTimeShareRedis oneTimeShareRedis(RedisConnectionFactory connections, OneTimeShareProperties p) {
    if (p.storage() == OneTimeShareProperties.Storage.MEMORY || p.storage() == OneTimeShareProperties.Storage.FILE
        || !(connections instanceof LettuceConnectionFactory factory)) {
      return null; // memory or a directory asked for, or a Jedis factory: no Lettuce client to share
    }
    if (!factory.isRunning()) {
      factory.start(); // creates the client (Spring Data Redis starts it early by default)
    }
    io.lettuce.core.AbstractRedisClient client = factory.getNativeClient();
    if (client == null) {
      throw new IllegalStateException("Spring Data Redis's Lettuce connection factory has no client.");
    }
    OneTimeShareProperties.Redis r = p.redis();
    ReplicaAck ack = ReplicaAck.parse(r.replicas()).withTimeout(r.replicaTimeout());
    return new OneTimeShareRedis(RedisStore.using(client, r.timeout(), ack), r.prefix());
  }
}
