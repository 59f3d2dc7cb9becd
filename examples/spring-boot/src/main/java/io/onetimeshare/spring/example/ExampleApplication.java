package io.onetimeshare.spring.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot host application with nothing of its own (in its own package: a component scan must not pick up the
 * auto-configuration's classes, which Boot orders after Spring Data Redis's only when it loads them itself): the auto-configuration maps OneTimeShare at
 * {@code onetimeshare.path} (default {@code /share/*}). Run: {@code mvn -pl examples/spring-boot spring-boot:run}, or
 * {@code java -cp ... io.onetimeshare.spring.ExampleApplication --spring.data.redis.url=redis://127.0.0.1:6379}.
 */
@SpringBootApplication
public class ExampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }
}
