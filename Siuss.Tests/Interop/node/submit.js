// Calls SubmitFlow through a client that node-soap builds from the register's served WSDL.
// Usage: node submit.js <wsdl-url> <trasmissione-file> <flusso-file>
// Prints the base64 receipt on stdout; on a SOAP fault prints "FAULT <faultcode>" and exits 3.
const fs = require('fs');
const soap = require('soap');

async function main() {
  const [wsdlUrl, trasmissioneFile, flussoFile] = process.argv.slice(2);
  const client = await soap.createClientAsync(wsdlUrl);
  const [result] = await client.SubmitFlowAsync({
    Trasmissione: fs.readFileSync(trasmissioneFile).toString('base64'),
    Flusso: fs.readFileSync(flussoFile).toString('base64'),
  });
  process.stdout.write(result.Ricevuta);
}

main().catch((err) => {
  const fault = err && err.root && err.root.Envelope && err.root.Envelope.Body && err.root.Envelope.Body.Fault;
  if (fault) {
    process.stdout.write('FAULT ' + fault.faultcode);
    process.exit(3);
  }
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
