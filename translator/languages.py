"""Language codes: validation and normalisation (ISO 639-1, with 639-3 aliases)."""

from __future__ import annotations

from .errors import LanguageError

#: ISO 639-1 codes this tool accepts, with English names.  It covers every
#: language langdetect knows and every language of the Argos package index.
NAMES: dict[str, str] = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "az": "Azerbaijani",
    "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali", "bs": "Bosnian",
    "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish",
    "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "ga": "Irish", "gl": "Galician", "gu": "Gujarati",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "hy": "Armenian", "id": "Indonesian", "is": "Icelandic", "it": "Italian",
    "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "kn": "Kannada",
    "ko": "Korean", "ky": "Kyrgyz", "lt": "Lithuanian", "lv": "Latvian",
    "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ms": "Malay",
    "mt": "Maltese", "nb": "Norwegian Bokmål", "ne": "Nepali", "nl": "Dutch",
    "no": "Norwegian", "oc": "Occitan", "pa": "Punjabi", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "so": "Somali", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
    "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "zh": "Chinese",
    "zt": "Chinese (traditional)",
}

#: Aliases: ISO 639-3 / 639-2 codes (used by Apertium) and langdetect's variants.
ALIASES: dict[str, str] = {
    "fra": "fr", "fre": "fr", "eng": "en", "spa": "es", "deu": "de", "ger": "de",
    "ita": "it", "por": "pt", "cat": "ca", "glg": "gl", "oci": "oc", "ron": "ro",
    "rum": "ro", "nld": "nl", "dut": "nl", "rus": "ru", "ukr": "uk", "zho": "zh",
    "chi": "zh", "zh-cn": "zh", "zh-tw": "zt", "zh-hans": "zh", "zh-hant": "zt",
    "eus": "eu", "baq": "eu",
    "pt-br": "pt", "pt_br": "pt", "en-us": "en", "en_us": "en", "en-gb": "en",
}


def canonical(code: str) -> str | None:
    """The two-letter code for *code* (``fra``, ``fr-FR``, ``pt_BR`` -> ``fr``, ``pt``), or None."""
    key = code.strip().lower().replace("_", "-")
    key = ALIASES.get(key, key)
    if key not in NAMES and "-" in key:
        base = key.split("-", 1)[0]
        key = ALIASES.get(base, base)
    return key if key in NAMES else None


def normalize(code: str, *, option: str = "language") -> str:
    """Return the canonical two-letter code for *code* or raise :class:`LanguageError`.

    *option* names where the code came from, for the error message.
    """
    key = canonical(code)
    if key:
        return key
    raise LanguageError(
        f"unknown language code {code.strip()!r} in {option}: "
        "use an ISO 639-1 code such as fr, en, es, de, it, pt (see 'translate models list')"
    )


def normalize_list(codes: str | list[str], *, option: str = "--to") -> list[str]:
    """Split a comma list (or take a list) and normalise each code, keeping order, no repeats."""
    items = codes.split(",") if isinstance(codes, str) else list(codes)
    out: list[str] = []
    for item in items:
        if not item.strip():
            continue
        code = normalize(item, option=option)
        if code not in out:
            out.append(code)
    if not out:
        raise LanguageError(f"no target language given in {option}: for example --to en,es")
    return out


def name(code: str) -> str:
    return NAMES.get(code, code)
