"""langdetect's language profiles, read from a compact cache instead of 55 JSON files.

``DetectorFactory.load_profile`` parses 2.3 MB of JSON and builds, for each of its
87,598 n-grams, a list of 55 probabilities: about 0.23 s and 60 MB at every start,
for a paragraph that uses a few hundred n-grams.  Here the profiles are read once into
a compact file under the user's cache folder (the n-grams sorted, and each n-gram's
(language, count) pairs); later processes read it in a few milliseconds and compute
the row of probabilities of an n-gram only when a text has it, with the very
arithmetic of ``load_profile`` (``1.0 * count / n_words``) and its language order, so
that langdetect gives the same answers.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import threading
from array import array
from bisect import bisect_left
from pathlib import Path

from .errors import TranslatorError

FORMAT = 3
WIDTH = 3  # langdetect's n-grams have 1 to 3 characters; keys are padded to 3 with NULs


class ProfileTable:
    """``word_lang_prob_map`` as langdetect's Detector reads it (``in`` and ``[]``),
    rows computed on first use and kept."""

    def __init__(self, langs: list[str], n_words: list[list[int]], keys: str, starts: array,
                 lang_index: array, counts: array) -> None:
        self.langs = langs
        self._n_words = n_words
        self._keys = keys
        self._starts = starts
        self._lang_index = lang_index
        self._counts = counts
        self._rows: dict[str, list[float] | None] = {}

    def __len__(self) -> int:
        return len(self._starts) - 1

    def _row(self, word: str) -> list[float] | None:
        row = self._rows.get(word, self)
        if row is not self:
            return row  # type: ignore[return-value]
        row = None
        if 1 <= len(word) <= WIDTH and "\0" not in word:
            key = word.ljust(WIDTH, "\0")
            i = bisect_left(_Keys(self._keys), key)
            if i < len(self) and self._keys[i * WIDTH:(i + 1) * WIDTH] == key:
                row = [0.0] * len(self.langs)
                for j in range(self._starts[i], self._starts[i + 1]):
                    lang = self._lang_index[j]
                    row[lang] = 1.0 * self._counts[j] / self._n_words[lang][len(word) - 1]
        self._rows[word] = row
        return row

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._row(word) is not None

    def __getitem__(self, word: str) -> list[float]:
        row = self._row(word)
        if row is None:
            raise KeyError(word)
        return row


class _Keys:
    """The sorted padded keys as a sequence, for :func:`bisect.bisect_left`."""

    def __init__(self, keys: str) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys) // WIDTH

    def __getitem__(self, i: int) -> str:
        return self._keys[i * WIDTH:(i + 1) * WIDTH]


def profile_files(directory: str | os.PathLike[str]) -> list[Path]:
    """The profile files in ``load_profile``'s order (the directory's, which its sums follow)."""
    return [Path(directory, name) for name in os.listdir(directory)
            if not name.startswith(".") and Path(directory, name).is_file()]


def build(files: list[Path]) -> dict:
    """The compact form of the profiles in *files* (what the cache file holds)."""
    langs, n_words, pairs = [], [], {}
    for index, path in enumerate(files):
        data = json.loads(path.read_text(encoding="utf-8"))
        langs.append(data["name"])
        n_words.append([int(n) for n in data["n_words"]])
        for word, count in data["freq"].items():
            if not 1 <= len(word) <= WIDTH or "\0" in word:
                raise ValueError(f"{path}: n-gram {word!r} outside langdetect's 1 to 3 characters")
            pairs.setdefault(word, []).append((index, count))
    keys = sorted(pairs)
    starts, lang_index, counts = array("I", [0]), array("B"), array("I")
    for word in keys:
        for index, count in pairs[word]:
            lang_index.append(index)
            counts.append(count)
        starts.append(len(counts))
    return {"format": FORMAT, "langs": langs, "n_words": n_words,
            "keys": "".join(k.ljust(WIDTH, "\0") for k in keys).encode("utf-8", "surrogatepass"),
            "starts": starts.tobytes(), "lang_index": lang_index.tobytes(), "counts": counts.tobytes()}


def table(data: dict) -> ProfileTable:
    """The table of :func:`build`'s *data*; ValueError when its parts do not fit together."""
    arrays = []
    for name, code in (("starts", "I"), ("lang_index", "B"), ("counts", "I")):
        arr = array(code)
        arr.frombytes(data[name])
        arrays.append(arr)
    starts, lang_index, counts = arrays
    langs, n_words = data["langs"], data["n_words"]
    keys = data["keys"].decode("utf-8", "surrogatepass")
    if (len(keys) != WIDTH * (len(starts) - 1) or len(lang_index) != len(counts) or starts[-1] != len(counts)
            or len(n_words) != len(langs) or data["lang_index"].translate(None, bytes(range(len(langs))))):
        raise ValueError("inconsistent langdetect profile cache")
    return ProfileTable(langs, n_words, keys, starts, lang_index, counts)


def _stamp(files: list[Path]) -> str:
    """What the cache was made from: each file's name, size and time, in order."""
    parts = [FORMAT, str(files[0].parent) if files else ""]
    for path in files:
        info = path.stat()
        parts.append((path.name, info.st_size, info.st_mtime_ns))
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def cache_path(stamp: str) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "translator" / f"langdetect-profiles-{stamp}.marshal"


_lock = threading.Lock()


def load(directory: str | os.PathLike[str]) -> ProfileTable:
    """The profiles of *directory*, from the cache when it is current, else read and cached."""
    with _lock:
        files = profile_files(directory)
        stamp = _stamp(files)
        path = cache_path(stamp)
        try:
            data = marshal.loads(path.read_bytes())
            if isinstance(data, dict) and data.get("format") == FORMAT:
                return table(data)
        except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
            pass  # absent or damaged: read the profiles again
        data = build(files)
        try:
            from .textio import write_atomic

            write_atomic(path, marshal.dumps(data))
        except (OSError, TranslatorError):
            pass  # a cache we cannot write only costs the next run the JSON
        return table(data)
