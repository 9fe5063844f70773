package dev.suite.localstack;

/**
 * The local stack's Sentinel ACL rules for a service ({@link RedisSentinels#SERVICE_RULES}, package-private there), for
 * deploy/k8s's RedisSentinelTest: the prod overlay's Sentinels must grant exactly what the local stack's grant, which
 * RedisSentinelsTest attacks against real Sentinels.
 */
public final class LocalSentinelRules {

    private LocalSentinelRules() {
    }

    public static String serviceRules() {
        return RedisSentinels.SERVICE_RULES;
    }

    public static String masterName() {
        return RedisSentinels.MASTER_NAME;
    }
}
