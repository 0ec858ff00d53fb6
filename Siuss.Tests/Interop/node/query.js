// Calls a signed-query operation (GetReceipt, ListReceipts, ReconcileRecords...) through a client that
// node-soap builds from the register's served WSDL.
// Usage: node query.js <wsdl-url> <operation> <richiesta-file> <answer-part>
// Prints the base64 answer part (e.g. Elenco for ListReceipts) on stdout and exits 0; anything else: stack on stderr, exit 1.
const fs = require('fs');
const soap = require('soap');

async function main() {
  const [wsdlUrl, operation, richiestaFile, answerPart] = process.argv.slice(2);
  if (!answerPart) throw new Error('usage: node query.js <wsdl-url> <operation> <richiesta-file> <answer-part>');
  const client = await soap.createClientAsync(wsdlUrl);
  const [result] = await client[operation + 'Async']({ Richiesta: fs.readFileSync(richiestaFile).toString('base64') });
  process.stdout.write(result[answerPart]);
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
