package io.onetimeshare.spring;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.s3.S3BodyStore;
import io.onetimeshare.spi.BodyStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Bodies in an S3-compatible bucket ({@code onetimeshare.bodies=s3}), when {@code onetimeshare-s3} is present. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.onetimeshare.s3.S3BodyStore")
@ConditionalOnProperty(name = "onetimeshare.bodies", havingValue = "s3")
class OnAnObjectStore {
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  BodyStore oneTimeShareBodyStore(OneTimeShareProperties p) {
    OneTimeShareProperties.S3 s = p.s3();
    String bucket = s.bucket();
    if (bucket == null || bucket.isBlank()) {
      throw new InvalidArgumentException("onetimeshare.bodies=s3 needs onetimeshare.s3.bucket.");
    }
    S3BodyStore.Builder b = S3BodyStore.builder(bucket).region(s.region()).pathStyle(s.pathStyle())
        .prefix(s.prefix()).partSize(Math.toIntExact(s.partSize().toBytes())).allChecksums(s.allChecksums());
    String endpoint = s.endpoint();
    if (endpoint != null && !endpoint.isBlank()) {
      b.endpoint(URI.create(endpoint));
    }
    String credentials = s.credentialsFile();
    if (credentials != null && !credentials.isBlank()) {
      try {
        b.credentialsFile(Path.of(credentials));
      } catch (IOException e) {
        throw new InvalidArgumentException("onetimeshare.s3.credentials-file: cannot read it ("
            + e.getClass().getSimpleName() + ").");
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException("onetimeshare.s3.credentials-file: " + e.getMessage());
      }
    }
    return b.build();
  }
}
