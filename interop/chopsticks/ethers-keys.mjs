// An independent implementation of Ethereum keys for HyperJ's account tests: reads one JSON request
// on stdin, answers one JSON object on stdout.
//   {"op":"decrypt","json":"...","password":"..."}                 -> {"address","privateKey"}
//   {"op":"encrypt","privateKey":"0x..","password":"..","n":4096}  -> {"json"}
//   {"op":"derive","phrase":"..","path":"m/44'/60'/0'/0/0"}        -> {"address","privateKey"}
import { Wallet, HDNodeWallet, encryptKeystoreJsonSync } from "ethers";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const req = JSON.parse(input);
let out;
if (req.op === "decrypt") {
  const w = Wallet.fromEncryptedJsonSync(req.json, req.password);
  out = { address: w.address, privateKey: w.privateKey };
} else if (req.op === "encrypt") {
  const w = new Wallet(req.privateKey);
  out = { json: encryptKeystoreJsonSync({ address: w.address, privateKey: w.privateKey }, req.password, { scrypt: { N: req.n } }) };
} else if (req.op === "derive") {
  const w = HDNodeWallet.fromPhrase(req.phrase, undefined, req.path);
  out = { address: w.address, privateKey: w.privateKey };
} else {
  throw new Error("unknown op " + req.op);
}
process.stdout.write(JSON.stringify(out) + "\n");
