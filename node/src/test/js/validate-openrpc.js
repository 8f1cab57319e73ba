// Validates an OpenRPC document read from standard input against the meta-schema of @open-rpc/meta-schema.
// Prints "valid" and exits 0, or prints the schema errors as JSON and exits 1. Run by OpenRpcMetaSchemaTest.
'use strict';
const Ajv = require('ajv');
const openRpcSchema = require('@open-rpc/meta-schema').default;
const jsonSchemaSchema = require('@json-schema-tools/meta-schema').default;

// Both schemas name their own dialect URI; their keywords are draft-07's, which ajv speaks by default.
// The OpenRPC meta-schema refers to the JSON Schema one (for every "schema" member) by its $id.
const withoutDialect = (s) => { const c = { ...s }; delete c.$schema; return c; };
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
// It writes that $id with and without the trailing slash; ajv takes them as two documents.
const jsonSchemaId = jsonSchemaSchema.$id;
for (const id of [jsonSchemaId, jsonSchemaId.replace(/\/$/, '')]) {
    const copy = withoutDialect(jsonSchemaSchema);
    delete copy.$id;
    ajv.addSchema(copy, id);
}
const validate = ajv.compile(withoutDialect(openRpcSchema));

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
    const doc = JSON.parse(input);
    if (validate(doc)) {
        console.log('valid');
    } else {
        console.log(JSON.stringify(validate.errors, null, 1));
        process.exitCode = 1;
    }
});
