package io.onetimeshare.spring.example;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The thread a request runs on, for the virtual-threads run (a test-only endpoint of the example). */
@RestController
class ThreadProbe {
  @GetMapping("/probe/thread")
  String thread() {
    return Thread.currentThread().toString();
  }
}
