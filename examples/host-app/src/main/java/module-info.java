/**
 * The embedding example as a named module: a consumer's module descriptor needs only {@code requires
 * io.onetimeshare.core} (and {@code io.onetimeshare.servlet} for the HTTP API). Compiling this module is the test
 * that the published modules export what users need and nothing else.
 */
module io.onetimeshare.examples.hostapp {
  requires io.onetimeshare.core;
  requires io.onetimeshare.servlet;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.ee10.servlet;
}
