<?php
// Code that may crash the process (a double free) or needs other php.ini settings runs in a
// child `php`, so the runner survives to report it.
declare(strict_types=1);

final class Child
{
    /**
     * Runs $code (a PHP script body; the package's autoloader is already required) in a fresh
     * `php -d ffi.enable=1 …$ini` with the runner's environment plus $env, and returns
     * [exit status, stdout, stderr]. A child killed by a signal (a segfault) is not 0.
     */
    public static function php(string $code, array $ini = [], array $env = []): array
    {
        $script = tempnam(sys_get_temp_dir(), 'instasent-php-child-');
        $errors = tempnam(sys_get_temp_dir(), 'instasent-php-child-err-');
        file_put_contents($script, "<?php\ndeclare(strict_types=1);\nrequire " . var_export(realpath(__DIR__ . '/../autoload.php'), true) . ";\n" . $code);
        try {
            $cmd = [PHP_BINARY, '-d', 'ffi.enable=1'];
            foreach ($ini as $setting) {
                array_push($cmd, '-d', $setting);
            }
            $cmd[] = $script;
            // stderr to a file: a full stderr pipe nobody reads yet would block the child.
            $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['file', $errors, 'w']], $pipes, null, array_merge(getenv(), $env));
            $out = stream_get_contents($pipes[1]);
            fclose($pipes[1]);
            $status = proc_close($proc);
            return [$status, $out, (string) file_get_contents($errors)];
        } finally {
            unlink($script);
            unlink($errors);
        }
    }
}
