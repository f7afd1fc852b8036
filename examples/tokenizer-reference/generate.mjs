// Writes reference.json: for every text of texts.json (and a few generated long ones), the ids that
// Hugging Face's tokenizers library (Rust, tokenizers 0.22, through the @anush008/tokenizers Node
// binding) gives with the model's own tokenizer.json, truncated at 256 tokens and unpadded, as the
// embeddings example computes them. Our Java tokenizer is tested against this file; it is never
// written from our own code. Run: npm ci && node generate.mjs <tokenizer.json> \
//   > ../src/test/resources/dev/hyperj/examples/embeddings/tokenizer-reference.json
import { Tokenizer } from "@anush008/tokenizers";
import { readFileSync } from "node:fs";

const tok = Tokenizer.fromFile(process.argv[2]);
tok.setTruncation(256);
tok.disablePadding();
const texts = JSON.parse(readFileSync(new URL("texts.json", import.meta.url), "utf8"));
// Very long texts: past the 256-token limit, and a single word past 100 characters.
const words = "the decentralized network pays for useful work that others can check".split(" ");
texts.push(Array.from({ length: 600 }, (_, i) => words[i % words.length]).join(" "));
texts.push(Array.from({ length: 400 }, (_, i) => "日本語" + (i % 10) + "，").join(""));
texts.push("x".repeat(5000));
const cases = [];
for (const text of texts) {
  const e = await tok.encode(text);
  cases.push({ text, ids: e.getIds() });
}
// One case per line, so that a change shows as a readable diff.
const head = { tool: "tokenizers 0.22.2 (Rust) via @anush008/tokenizers 0.6.0", max_length: 256 };
const lines = cases.map((c) => "  " + JSON.stringify(c));
process.stdout.write(JSON.stringify(head).slice(0, -1) + ',"cases":[\n' + lines.join(",\n") + "\n]}\n");
