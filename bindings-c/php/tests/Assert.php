<?php
// A few assertions; each throws AssertionFailed with what differed.
declare(strict_types=1);

final class AssertionFailed extends \Exception
{
}

final class Assert
{
    public static function true($cond, string $what = ''): void
    {
        if ($cond !== true) {
            throw new AssertionFailed('expected true' . ($what !== '' ? ": $what" : ''));
        }
    }

    public static function same($expected, $actual, string $what = ''): void
    {
        if ($expected !== $actual) {
            throw new AssertionFailed(($what !== '' ? "$what: " : '') . 'expected ' . var_export($expected, true)
                . ', got ' . var_export($actual, true));
        }
    }

    public static function contains(string $needle, string $haystack, string $what = ''): void
    {
        if (strpos($haystack, $needle) === false) {
            throw new AssertionFailed(($what !== '' ? "$what: " : '') . "\"$haystack\" does not contain \"$needle\"");
        }
    }

    /** Runs $fn, expects an exception of $class, and returns it. */
    public static function throws(string $class, callable $fn): \Throwable
    {
        try {
            $fn();
        } catch (\Throwable $e) {
            if ($e instanceof $class) {
                return $e;
            }
            throw new AssertionFailed("expected $class, got " . get_class($e) . ': ' . $e->getMessage());
        }
        throw new AssertionFailed("expected $class, nothing was thrown");
    }

    /**
     * Messages in the sandbox's ledger once it has not changed for $quietMs: the batches in
     * flight have landed. A fixed sleep guesses how fast the machine is; a campaign still sending
     * never goes quiet that long, so it fails here (or the caller's bound on the count catches it).
     */
    public static function settledCount(\Instasent\Testing\Sandbox $sandbox, int $quietMs = 500, int $timeoutMs = 30000): int
    {
        $now = function (): float { return hrtime(true) / 1e6; };
        $deadline = $now() + $timeoutMs;
        $count = count($sandbox->messages());
        $quietSince = $now();
        while ($now() - $quietSince < $quietMs) {
            if ($now() > $deadline) {
                throw new AssertionFailed("the sandbox was still receiving messages after $timeoutMs ms ($count)");
            }
            usleep(20000);
            $latest = count($sandbox->messages());
            if ($latest !== $count) {
                $count = $latest;
                $quietSince = $now();
            }
        }
        return $count;
    }

    /** The documented shape, with the status checked; returns the decoded body. */
    public static function response(int $status, $response)
    {
        self::true(is_array($response) && array_keys($response) === ['response_code', 'response_body'], 'documented shape');
        self::true(is_string($response['response_body']), 'response_body is a string');
        self::same($status, $response['response_code'], 'response_code (body ' . $response['response_body'] . ')');
        return json_decode($response['response_body'], true);
    }
}
