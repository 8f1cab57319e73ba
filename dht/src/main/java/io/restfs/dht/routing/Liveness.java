package io.restfs.dht.routing;

/** BEP 5's node states: good (heard from recently), questionable (silent a while, or never answered), bad. */
public enum Liveness {
    GOOD, QUESTIONABLE, BAD
}
