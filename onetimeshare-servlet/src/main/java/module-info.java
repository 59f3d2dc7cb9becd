/** The HTTP API v1 and the web page as a Jakarta Servlet 6 drop-in. */
module io.onetimeshare.servlet {
  exports io.onetimeshare.servlet;
  exports io.onetimeshare.servlet.notify;

  // OneTimeShare, RateLimiter (core) and HttpServlet (jakarta) appear in this module's API
  requires transitive io.onetimeshare.core;
  requires transitive jakarta.servlet;
  requires com.fasterxml.jackson.databind;
  requires static transitive org.jspecify;
}
