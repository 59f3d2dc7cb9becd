/**
 * Signed webhooks for what happens to secrets (issue 22): {@link io.onetimeshare.servlet.notify.Notifier} delivers
 * the events a vault's outbox recorded, {@link io.onetimeshare.servlet.notify.AddressPolicy} decides where they may
 * go, {@link io.onetimeshare.servlet.notify.WebhookEndpoint} names an operator's receiver.
 */
@NullMarked
package io.onetimeshare.servlet.notify;

import org.jspecify.annotations.NullMarked;
