// Calls SubmitFlow through a client that node-soap builds from the register's served WSDL.
// Usage: node submit.js <wsdl-url> <trasmissione-file> <flusso-file>
// Prints the base64 receipt on stdout and exits 0.
// On a SOAP fault prints "FAULT <faultcode>" (as node-soap reports it, e.g. "a:SignatureInvalid"),
// then on a second line "NAMESPACE <uri>" (the namespace the faultcode's prefix is bound to in the
// response node-soap received), the faultstring on stderr, and exits 3. Anything else: stack on stderr, exit 1.
const fs = require('fs');
const path = require('path');
const soap = require('soap');

async function main() {
  const [wsdlUrl, trasmissioneFile, flussoFile] = process.argv.slice(2);
  if (!flussoFile) throw new Error('usage: node submit.js <wsdl-url> <trasmissione-file> <flusso-file>');
  const client = await soap.createClientAsync(wsdlUrl);
  const [result] = await client.SubmitFlowAsync({
    Trasmissione: fs.readFileSync(trasmissioneFile).toString('base64'),
    Flusso: fs.readFileSync(flussoFile).toString('base64'),
  });
  process.stdout.write(result.Ricevuta);
}

// node-soap hands faultcode over as text ("prefix:Local"); resolve the prefix with the XML parser
// node-soap itself uses (sax), against the raw response body it keeps on the error.
function faultCodeNamespace(body, faultCode) {
  if (typeof body !== 'string') return '';
  const sax = require(require.resolve('sax', { paths: [path.dirname(require.resolve('soap'))] }));
  const parser = sax.parser(true, { xmlns: true });
  const prefix = faultCode.includes(':') ? faultCode.slice(0, faultCode.indexOf(':')) : '';
  let namespace = '';
  parser.onopentag = (tag) => {
    if (tag.local === 'faultcode' && namespace === '') namespace = tag.ns[prefix] || '';
  };
  parser.write(body).close();
  return namespace;
}

main().catch((err) => {
  const fault = err && err.root && err.root.Envelope && err.root.Envelope.Body && err.root.Envelope.Body.Fault;
  if (fault) {
    const code = String((fault.faultcode && fault.faultcode.$value) || fault.faultcode);
    let namespace = '';
    try {
      namespace = faultCodeNamespace(err.body, code);
    } catch (parseError) {
      console.error('could not resolve the faultcode prefix: ' + parseError);
    }
    process.stdout.write('FAULT ' + code + '\nNAMESPACE ' + namespace + '\n');
    console.error(String((fault.faultstring && fault.faultstring.$value) || fault.faultstring));
    process.exit(3);
  }
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
