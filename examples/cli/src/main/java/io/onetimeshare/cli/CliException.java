package io.onetimeshare.cli;

/** A failure with the exit code it ends the command with (see {@link Ots} for the codes). */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int code;

  CliException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }
}
