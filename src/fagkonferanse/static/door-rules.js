/*
 * The door's matching rules, for a door device answering from its own list (checkin.js): the
 * same as the server's (registration/tokens.py and checkin/services.py), so a code is read the
 * same way online and offline. A test runs both on the same inputs.
 *
 *  - codeFromScan: the 32-character check-in code in what a scanner typed: the bare code, the
 *    QR code's address (also with a prefix mangled by a keyboard-layout mismatch), or the code
 *    typed in groups with spaces; any case.
 *  - doorCode: the 8-character door code ("K7QM-4XT2") typed in any case, with or without dashes
 *    or spaces, if its check character holds (weighted sum of all eight = 0 mod 31).
 *  - looksLikeDoorCode: eight characters of the door alphabet once separators are gone: a door
 *    code, or a typo of one ("mistyped" rather than "unknown").
 *  - searchKey / matches: case- and accent-insensitive matching of names ("Øyvind" meets "oyvind").
 */
(function () {
  "use strict";

  var ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"; // 31: prime, and no 0/O, 1/I/L
  var LENGTH = 8;
  var SEPARATORS = /[\s\-\u2010\u2011\u2012\u2013\u2014_.]+/g;
  var CODE = /^[a-z2-7]{32}$/;
  var CODE_AT_END = /([a-z2-7]{32})[^a-z0-9]*$/;
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

  function doorCode(text) {
    var cleaned = String(text || "").trim().replace(SEPARATORS, "").toUpperCase();
    if (cleaned.length !== LENGTH) {
      return null;
    }
    var total = 0;
    for (var i = 0; i < LENGTH; i += 1) {
      var value = ALPHABET.indexOf(cleaned.charAt(i));
      if (value < 0) {
        return null;
      }
      total += (i + 1) * value;
    }
    return total % ALPHABET.length === 0 ? cleaned : null;
  }

  function looksLikeDoorCode(text) {
    var cleaned = String(text || "").trim().replace(SEPARATORS, "").toUpperCase();
    if (cleaned.length !== LENGTH) {
      return false;
    }
    for (var i = 0; i < LENGTH; i += 1) {
      var char = cleaned.charAt(i);
      if (ALPHABET.indexOf(char) < 0 && "01OIL".indexOf(char) < 0) {
        return false;
      }
    }
    return true;
  }

  function codeFromScan(text) {
    var cleaned = String(text || "").trim().toLowerCase();
    if (!cleaned || cleaned.length > 500) {
      return null;
    }
    if (cleaned.indexOf(" ") >= 0) {
      var spaceless = cleaned.split(/\s+/).join("");
      if (CODE.test(spaceless)) {
        return spaceless; // the long code typed as the ticket shows it, in groups
      }
    }
    var match = CODE_AT_END.exec(cleaned);
    if (!match) {
      return null;
    }
    if (match.index > 0 && LETTER_OR_DIGIT.test(cleaned.charAt(match.index - 1))) {
      return null; // part of a longer word, not a code
    }
    return match[1];
  }

  /*
   * Whose code is in `text`, from the device's list: {state: "", person} or {state: "unknown"}
   * or {state: "mistyped"}. `find` is {byCode: Map, byDoorCode: Map} of the list's people.
   */
  function identify(text, find) {
    var code = codeFromScan(text);
    var person = code ? find.byCode.get(code) : undefined;
    var door = person ? null : doorCode(text);
    if (!person && door) {
      person = find.byDoorCode.get(door);
    } else if (!person && looksLikeDoorCode(text)) {
      return { state: "mistyped", person: null };
    }
    return person ? { state: "", person: person } : { state: "unknown", person: null };
  }

  // æ → ae, ø → o, å → a, as the server folds them (checkin/services.py search_key)
  var NORWEGIAN = { "\u00e6": "ae", "\u00f8": "o", "\u00e5": "a" };

  function searchKey(text) {
    var folded = String(text || "").toLowerCase().replace(/\u00df/g, "ss").replace(/[\u00e6\u00f8\u00e5]/g, function (char) {
      return NORWEGIAN[char];
    });
    return folded.normalize("NFKD").replace(/\p{Mn}/gu, "");
  }

  /* Every word of the query occurs in the person's name or organisation (keys made by searchKey). */
  function matches(key, query) {
    var words = searchKey(query).split(/\s+/).filter(Boolean);
    return words.length > 0 && words.every(function (word) { return key.indexOf(word) >= 0; });
  }

  window.DoorRules = {
    doorCode: doorCode,
    looksLikeDoorCode: looksLikeDoorCode,
    codeFromScan: codeFromScan,
    identify: identify,
    searchKey: searchKey,
    matches: matches
  };
})();
