package dev.hyperj.subnet.dag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Python's json module as the independent implementation the DAG's canonical JSON is checked
 * against: each input line is parsed and written back by a small script. python3 is on every
 * machine this project builds on; a machine without it fails the test instead of skipping it.
 */
final class PythonJson {
    private PythonJson() {}

    static final String CANONICAL = "import sys, json\n"
            + "for line in sys.stdin.buffer.read().decode('utf-8').split('\\n'):\n"
            + "    if line: print(json.dumps(json.loads(line), sort_keys=True, separators=(',', ':'), ensure_ascii=True, allow_nan=False))\n";

    static final String NODE_ID = "import sys, json, hashlib\n"
            + "for line in sys.stdin.buffer.read().decode('utf-8').split('\\n'):\n"
            + "    if not line: continue\n"
            + "    h = json.loads(line); h.pop('node_id'); h.pop('signature')\n"
            + "    c = json.dumps(h, sort_keys=True, separators=(',', ':'), ensure_ascii=True, allow_nan=False)\n"
            + "    print('sha256:' + hashlib.sha256(c.encode('ascii')).hexdigest())\n";

    /** Runs {@code script} over {@code lines} (one JSON value each) and returns its output lines. */
    static List<String> run(String script, List<String> lines) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", script)
                    .redirectErrorStream(false)
                    .start();
        } catch (IOException e) {
            throw new AssertionError("python3 is needed to check canonical JSON against Python's json module", e);
        }
        byte[] in = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        Thread writer = Thread.ofVirtual().start(() -> {
            try (var os = p.getOutputStream()) {
                os.write(in);
            } catch (IOException ignored) {
                // the process died: its exit code tells
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        writer.join();
        if (p.exitValue() != 0) throw new AssertionError("python3 failed: " + new String(err, StandardCharsets.UTF_8));
        String text = new String(out, StandardCharsets.US_ASCII);
        return Arrays.asList(text.split("\n", -1))
                .subList(0, (int) text.chars().filter(c -> c == '\n').count());
    }
}
