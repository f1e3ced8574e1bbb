// The 'libretranslate' npm package, a real LibreTranslate client, against our server.
// Usage: NODE_PATH=build/node-client/node_modules node tests/service_client.js URL
// Prints one JSON object with what the client returned (tests/test_service_clients.py reads it).
"use strict";
const { translate } = require("libretranslate");

async function main(apiurl) {
  const out = {};
  out.text = await translate({ query: "Le chat dort.", source: "fr", target: "es", apiurl });
  out.auto = await translate({ query: "Le chat dort sur le canapé du salon.", target: "es", apiurl });
  out.html = await translate({ query: "<b>Le chat</b> dort.", source: "fr", target: "es", format: "html", apiurl });
  out.list = await translate({ query: ["Le chat dort.", "La mer est calme."], source: "fr", target: "es", apiurl });
  try {
    await translate({ query: "Le chat.", source: "fr", target: "zz", apiurl });
    out.unknown = "no error";
  } catch (error) {
    out.unknown = error.message;
  }
  return out;
}

main(process.argv[2]).then(
  (out) => console.log(JSON.stringify(out)),
  (error) => { console.error(error); process.exit(1); },
);
