// Signing in the browser with WebCrypto Ed25519. The private key is generated non-extractable and kept
// in this browser's IndexedDB; only the public JWK and signatures ever leave it. No inline scripts (CSP).
(function () {
  "use strict";
  var DB_NAME = "kakehashi-keys", STORE = "keys";
  var encoder = new TextEncoder();

  function b64url(bytes) {
    var binary = "", view = new Uint8Array(bytes);
    for (var i = 0; i < view.length; i++) { binary += String.fromCharCode(view[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "kid" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(record) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, "readwrite");
        tx.objectStore(STORE).put(record);
        tx.oncomplete = function () { resolve(record); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function allKeys() {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var request = db.transaction(STORE, "readonly").objectStore(STORE).getAll();
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": window.kakehashi.csrfToken() },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.ok) { return response.json(); }
      return response.json().then(function (problem) { throw new Error(problem.detail || problem.title); });
    });
  }

  function show(element, message) { element.textContent = message; element.hidden = false; }

  // RFC 7638 thumbprint of the public JWK: the kid the platform derives too.
  function thumbprint(x) {
    var canonical = '{"crv":"Ed25519","kty":"OKP","x":"' + x + '"}';
    return crypto.subtle.digest("SHA-256", encoder.encode(canonical)).then(b64url);
  }

  function createKey(button) {
    var error = document.getElementById("key-error");
    var label = (document.getElementById("f-browser-label") || {}).value || "Browser key";
    var pair, jwk;
    button.disabled = true;
    crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]).then(function (generated) {
      pair = generated;
      return crypto.subtle.exportKey("jwk", pair.publicKey);
    }, function () { throw new Error(button.dataset.msgUnsupported); }).then(function (exported) {
      jwk = { crv: "Ed25519", kty: "OKP", x: exported.x };
      return thumbprint(jwk.x);
    }).then(function (kid) {
      return post("/api/v1/keys", { jwk: jwk, label: label }).then(function (registered) {
        if (registered.kid !== kid) { throw new Error("kid mismatch"); }
        return store({ kid: kid, user: button.dataset.user, label: label, privateKey: pair.privateKey });
      });
    }).then(function () {
      window.location.href = "/agreement/keys?flash=key_registered";
    }).catch(function (err) { button.disabled = false; show(error, err.message); });
  }

  function sign(button) {
    var error = document.getElementById("sign-error");
    var wanted = (button.dataset.kids || "").split(" ");
    button.disabled = true;
    allKeys().then(function (records) {
      var mine = records.filter(function (r) { return r.user === button.dataset.user && wanted.indexOf(r.kid) >= 0; });
      if (!mine.length) { throw new Error(button.dataset.msgNokey); }
      var header = b64url(encoder.encode(JSON.stringify({ alg: "Ed25519", kid: mine[0].kid })));
      var input = header + "." + button.dataset.payload;
      return crypto.subtle.sign({ name: "Ed25519" }, mine[0].privateKey, encoder.encode(input)).then(function (signature) {
        return post("/api/v1/instruments/" + button.dataset.instrument + "/signatures",
                    { "protected": header, signature: b64url(signature) });
      });
    }).then(function () {
      window.location.href = window.location.pathname + "?flash=signature_recorded";
    }).catch(function (err) { button.disabled = false; show(error, err.message); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var create = document.getElementById("create-browser-key");
    if (create) { create.addEventListener("click", function () { createKey(create); }); }
    var signButton = document.getElementById("sign-in-browser");
    if (signButton) { signButton.addEventListener("click", function () { sign(signButton); }); }
  });
})();
