package io.onetimeshare.examples.hostapp;

import io.onetimeshare.Credential;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.OpenedSecret;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.ShareOptions;
import io.onetimeshare.ShareReceipt;
import io.onetimeshare.WrongCredentialException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A host application embedding OneTimeShare on the in-memory default: shares a text, opens it once, shows that a
 * second open finds nothing, then does the same with a passphrase.
 */
public final class HostApp {
  private HostApp() {}

  public static void main(String[] args) {
    run(System.out);
  }

  static void run(PrintStream out) {
    try (OneTimeShare ots = OneTimeShare.builder().build()) {
      ShareReceipt receipt = ots.share("the launch code is 0000", ShareOptions.builder().ttl(Duration.ofMinutes(10)).build());
      out.println("shared " + receipt.id() + ", expires " + receipt.expiresAt());

      OpenedSecret opened = ots.open(receipt.id(), Credential.key(receipt.key()));
      out.println("opened once: " + opened.text());
      try {
        ots.open(receipt.id(), Credential.key(receipt.key()));
      } catch (SecretNotFoundException e) {
        out.println("opened twice: " + e.getMessage());
      }

      ShareReceipt withPass = ots.share("vault PIN 1234", ShareOptions.builder().passphrase("correct horse").build());
      try {
        ots.open(withPass.id(), Credential.passphrase("wrong horse"));
      } catch (WrongCredentialException e) {
        out.println("wrong passphrase: " + e.getMessage());
      }
      out.println("right passphrase: " + ots.open(withPass.id(), Credential.passphrase("correct horse")).text());
    }
  }
}
