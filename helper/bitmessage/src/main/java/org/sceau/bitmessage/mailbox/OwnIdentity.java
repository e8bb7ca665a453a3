package org.sceau.bitmessage.mailbox;

import java.time.Instant;

/**
 * One of the user's identities as listed (the private keys stay in the store).
 *
 * @param address the BM- address
 * @param label the user's name for it
 * @param chan true for a chan (everyone who knows its name shares its keys)
 * @param pubkeyPublished whether its pubkey has been published (others can send to it only once
 *     they can find it; until then it waits for its proof of work)
 * @param created when it was made
 */
public record OwnIdentity(
    String address, String label, boolean chan, boolean pubkeyPublished, Instant created) {}
