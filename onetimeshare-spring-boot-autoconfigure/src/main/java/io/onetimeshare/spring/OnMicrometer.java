package io.onetimeshare.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.onetimeshare.spi.ShareEvents;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The library's events as meters in the application's Micrometer registry, when it has one. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
class OnMicrometer {
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(MeterRegistry.class)
  ShareEvents oneTimeShareMetrics(MeterRegistry registry) {
    return new MicrometerShareEvents(registry);
  }

  @Bean
  @ConditionalOnBean(MeterRegistry.class)
  NotifierMetrics oneTimeShareNotifierMetrics(MeterRegistry registry) {
    return new NotifierMetrics(registry);
  }
}
