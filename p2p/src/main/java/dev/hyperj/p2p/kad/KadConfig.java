package dev.hyperj.p2p.kad;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a DHT node. {@link #defaults()} follows the libp2p implementations: k = 20, alpha = 3,
 * records live 36 h, provider records 48 h and are re-announced every 22 h, random walk every 5
 * minutes. Build variants with {@link #toBuilder()}.
 *
 * @param k                        bucket size and replication factor
 * @param alpha                    concurrent requests per lookup
 * @param clientMode               true: query the DHT but do not serve it (no inbound requests)
 * @param requestTimeout           one request's time limit
 * @param lookupTimeout            one whole lookup's time limit (it then ends with what it found)
 * @param maxFailures              consecutive failed requests before a peer leaves the table
 * @param replacementsPerBucket    bounded cache of peers waiting for room in a full bucket
 * @param getQuorum                GET_VALUE stops after this many answers carrying a valid record
 * @param recordTtl                how long a stored value record lives
 * @param providerTtl              how long a provider record lives
 * @param recordRepublishInterval  how often values this node put are put again
 * @param providerRepublishInterval how often keys this node provides are announced again
 * @param cleanupInterval          how often expired records are purged
 * @param maxRecords               records stored for others
 * @param maxRecordValueBytes      largest value stored
 * @param maxProviderKeys          keys with provider records
 * @param maxProvidersPerKey       provider records per key
 * @param maxProviderAddrs         addresses kept per provider record
 * @param randomWalkInterval       random lookups to keep the table fresh (ZERO = off)
 * @param thinTableWalkDelay       least time between walks triggered by a thin table (fewer than k peers)
 * @param refreshInterval          a bucket not explored for this long gets a lookup aimed at it (ZERO = off)
 * @param inboundRatePerPeer       requests per second one peer may make (token bucket refill)
 * @param inboundBurstPerPeer      token bucket size
 * @param maxTrackedInboundPeers   rate-limit entries kept (the oldest are dropped beyond)
 * @param maxPendingVerifications  unknown inbound peers being checked before entering the table
 * @param codecLimits              bounds on messages read
 */
public record KadConfig(
        int k,
        int alpha,
        boolean clientMode,
        Duration requestTimeout,
        Duration lookupTimeout,
        int maxFailures,
        int replacementsPerBucket,
        int getQuorum,
        Duration recordTtl,
        Duration providerTtl,
        Duration recordRepublishInterval,
        Duration providerRepublishInterval,
        Duration cleanupInterval,
        int maxRecords,
        int maxRecordValueBytes,
        int maxProviderKeys,
        int maxProvidersPerKey,
        int maxProviderAddrs,
        Duration randomWalkInterval,
        Duration thinTableWalkDelay,
        Duration refreshInterval,
        double inboundRatePerPeer,
        int inboundBurstPerPeer,
        int maxTrackedInboundPeers,
        int maxPendingVerifications,
        KadCodec.Limits codecLimits) {

    public KadConfig {
        if (k < 1
                || alpha < 1
                || maxFailures < 1
                || replacementsPerBucket < 0
                || getQuorum < 1
                || maxRecords < 0
                || maxRecordValueBytes < 0
                || maxProviderKeys < 0
                || maxProvidersPerKey < 0
                || maxProviderAddrs < 0
                || inboundRatePerPeer <= 0
                || inboundBurstPerPeer < 1
                || maxTrackedInboundPeers < 1
                || maxPendingVerifications < 0) {
            throw new IllegalArgumentException("invalid DHT configuration");
        }
        for (Duration d : new Duration[] {
            requestTimeout,
            lookupTimeout,
            recordTtl,
            providerTtl,
            recordRepublishInterval,
            providerRepublishInterval,
            cleanupInterval,
            randomWalkInterval,
            thinTableWalkDelay,
            refreshInterval
        }) {
            Objects.requireNonNull(d, "durations must be set");
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative duration in DHT configuration");
            }
        }
        if (requestTimeout.isZero() || lookupTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        Objects.requireNonNull(codecLimits, "codecLimits");
    }

    public static KadConfig defaults() {
        return new Builder().build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder over the record's components; unset values are the defaults. */
    public static final class Builder {
        private int k = 20;
        private int alpha = 3;
        private boolean clientMode;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration lookupTimeout = Duration.ofSeconds(60);
        private int maxFailures = 2;
        private int replacementsPerBucket = 20;
        private int getQuorum = 16;
        private Duration recordTtl = Duration.ofHours(36);
        private Duration providerTtl = Duration.ofHours(48);
        private Duration recordRepublishInterval = Duration.ofHours(1);
        private Duration providerRepublishInterval = Duration.ofHours(22);
        private Duration cleanupInterval = Duration.ofHours(1);
        private int maxRecords = 4096;
        private int maxRecordValueBytes = 10 * 1024;
        private int maxProviderKeys = 8192;
        private int maxProvidersPerKey = 32;
        private int maxProviderAddrs = 4;
        private Duration randomWalkInterval = Duration.ofMinutes(5);
        private Duration thinTableWalkDelay = Duration.ofSeconds(10);
        private Duration refreshInterval = Duration.ofMinutes(10);
        private double inboundRatePerPeer = 50;
        private int inboundBurstPerPeer = 100;
        private int maxTrackedInboundPeers = 4096;
        private int maxPendingVerifications = 64;
        private KadCodec.Limits codecLimits = KadCodec.Limits.defaults();

        private Builder() {}

        private Builder(KadConfig c) {
            k = c.k;
            alpha = c.alpha;
            clientMode = c.clientMode;
            requestTimeout = c.requestTimeout;
            lookupTimeout = c.lookupTimeout;
            maxFailures = c.maxFailures;
            replacementsPerBucket = c.replacementsPerBucket;
            getQuorum = c.getQuorum;
            recordTtl = c.recordTtl;
            providerTtl = c.providerTtl;
            recordRepublishInterval = c.recordRepublishInterval;
            providerRepublishInterval = c.providerRepublishInterval;
            cleanupInterval = c.cleanupInterval;
            maxRecords = c.maxRecords;
            maxRecordValueBytes = c.maxRecordValueBytes;
            maxProviderKeys = c.maxProviderKeys;
            maxProvidersPerKey = c.maxProvidersPerKey;
            maxProviderAddrs = c.maxProviderAddrs;
            randomWalkInterval = c.randomWalkInterval;
            thinTableWalkDelay = c.thinTableWalkDelay;
            refreshInterval = c.refreshInterval;
            inboundRatePerPeer = c.inboundRatePerPeer;
            inboundBurstPerPeer = c.inboundBurstPerPeer;
            maxTrackedInboundPeers = c.maxTrackedInboundPeers;
            maxPendingVerifications = c.maxPendingVerifications;
            codecLimits = c.codecLimits;
        }

        public Builder k(int v) {
            k = v;
            return this;
        }

        public Builder alpha(int v) {
            alpha = v;
            return this;
        }

        public Builder clientMode(boolean v) {
            clientMode = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        public Builder lookupTimeout(Duration v) {
            lookupTimeout = v;
            return this;
        }

        public Builder maxFailures(int v) {
            maxFailures = v;
            return this;
        }

        public Builder replacementsPerBucket(int v) {
            replacementsPerBucket = v;
            return this;
        }

        public Builder getQuorum(int v) {
            getQuorum = v;
            return this;
        }

        public Builder recordTtl(Duration v) {
            recordTtl = v;
            return this;
        }

        public Builder providerTtl(Duration v) {
            providerTtl = v;
            return this;
        }

        public Builder recordRepublishInterval(Duration v) {
            recordRepublishInterval = v;
            return this;
        }

        public Builder providerRepublishInterval(Duration v) {
            providerRepublishInterval = v;
            return this;
        }

        public Builder cleanupInterval(Duration v) {
            cleanupInterval = v;
            return this;
        }

        public Builder maxRecords(int v) {
            maxRecords = v;
            return this;
        }

        public Builder maxRecordValueBytes(int v) {
            maxRecordValueBytes = v;
            return this;
        }

        public Builder maxProviderKeys(int v) {
            maxProviderKeys = v;
            return this;
        }

        public Builder maxProvidersPerKey(int v) {
            maxProvidersPerKey = v;
            return this;
        }

        public Builder maxProviderAddrs(int v) {
            maxProviderAddrs = v;
            return this;
        }

        public Builder randomWalkInterval(Duration v) {
            randomWalkInterval = v;
            return this;
        }

        public Builder thinTableWalkDelay(Duration v) {
            thinTableWalkDelay = v;
            return this;
        }

        public Builder refreshInterval(Duration v) {
            refreshInterval = v;
            return this;
        }

        public Builder inboundRatePerPeer(double v) {
            inboundRatePerPeer = v;
            return this;
        }

        public Builder inboundBurstPerPeer(int v) {
            inboundBurstPerPeer = v;
            return this;
        }

        public Builder maxTrackedInboundPeers(int v) {
            maxTrackedInboundPeers = v;
            return this;
        }

        public Builder maxPendingVerifications(int v) {
            maxPendingVerifications = v;
            return this;
        }

        public Builder codecLimits(KadCodec.Limits v) {
            codecLimits = v;
            return this;
        }

        public KadConfig build() {
            return new KadConfig(
                    k,
                    alpha,
                    clientMode,
                    requestTimeout,
                    lookupTimeout,
                    maxFailures,
                    replacementsPerBucket,
                    getQuorum,
                    recordTtl,
                    providerTtl,
                    recordRepublishInterval,
                    providerRepublishInterval,
                    cleanupInterval,
                    maxRecords,
                    maxRecordValueBytes,
                    maxProviderKeys,
                    maxProvidersPerKey,
                    maxProviderAddrs,
                    randomWalkInterval,
                    thinTableWalkDelay,
                    refreshInterval,
                    inboundRatePerPeer,
                    inboundBurstPerPeer,
                    maxTrackedInboundPeers,
                    maxPendingVerifications,
                    codecLimits);
        }
    }
}
