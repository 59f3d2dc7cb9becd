/** Sealed bodies in S3-compatible object storage (issue 37). */
@NullMarked
package io.onetimeshare.s3;

import org.jspecify.annotations.NullMarked;
