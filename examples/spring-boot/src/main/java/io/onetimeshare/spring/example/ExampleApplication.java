package io.onetimeshare.spring.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with OneTimeShare from the starter and properties only (issue 39): its own Redis
 * ({@code spring.data.redis.*}), its own sign-in ({@link SecurityConfig}: OAuth2 login), Actuator and Micrometer.
 * OneTimeShare is at {@code /share/}: anyone opens a link there; only signed-in people create. Run it with {@code mvn
 * -pl examples/spring-boot spring-boot:run} or from an IDE, with {@code src/main/resources/application.properties}.
 */
@SpringBootApplication
public class ExampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }
}
