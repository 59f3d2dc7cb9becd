/** The HTTP API v1 as a Jakarta Servlet 6 drop-in: {@link io.onetimeshare.servlet.OneTimeShareServlet}. */
@NullMarked
package io.onetimeshare.servlet;

import org.jspecify.annotations.NullMarked;
