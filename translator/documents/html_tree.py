"""The element tree of an HTML token stream, as far as translation needs it: which
elements are open at each token (HTML5's implied end tags for the elements pages leave
open: ``<p>``, ``<li>``, table cells...) and each element's path (``/html/body/div[2]/p``,
XPath as lxml writes it), so that a translated unit can point back into the source."""

from __future__ import annotations

VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
# Start tags that close an open <p> (HTML5: "close a p element" in button scope).
_CLOSES_P = frozenset("address article aside blockquote center details dialog dir div dl fieldset figcaption figure "
                      "footer form h1 h2 h3 h4 h5 h6 header hgroup hr li dd dt main menu nav ol p pre section "
                      "summary table ul".split())
_SCOPE = frozenset("applet button caption html table td th marquee object template".split())
# tag -> (the open elements it closes, the elements that stop the search)
_IMPLIED = {
    "li": ({"li"}, {"ul", "ol", "menu"} | _SCOPE),
    "dt": ({"dt", "dd"}, {"dl"} | _SCOPE), "dd": ({"dt", "dd"}, {"dl"} | _SCOPE),
    "tr": ({"tr"}, {"table", "thead", "tbody", "tfoot"}),
    "td": ({"td", "th"}, {"tr", "table"}), "th": ({"td", "th"}, {"tr", "table"}),
    "thead": ({"thead", "tbody", "tfoot"}, {"table"}), "tbody": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tfoot": ({"thead", "tbody", "tfoot"}, {"table"}),
    "option": ({"option"}, {"select", "datalist"}), "optgroup": ({"option", "optgroup"}, {"select"}),
    "body": ({"head"}, {"html"}),
}
_HEAD_CONTENT = frozenset("base basefont bgsound link meta noscript script style template title".split())


class Node:
    """An element: its tag, its parent, and its place among the parent's children of the same tag."""

    __slots__ = ("tag", "parent", "nth", "counts")

    def __init__(self, tag: str, parent: Node | None) -> None:
        self.tag, self.parent, self.counts = tag, parent, {}
        self.nth = 0
        if parent is not None:
            self.nth = parent.counts[tag] = parent.counts.get(tag, 0) + 1

    @property
    def path(self) -> str:
        """``/html/body/div[2]/p`` (an index only where the parent has several of the tag;
        asked once the whole page is read)."""
        if self.parent is None:
            return ""
        index = f"[{self.nth}]" if self.parent.counts[self.tag] > 1 else ""
        return f"{self.parent.path}/{self.tag}{index}"


class OpenElements:
    """The stack of open elements, kept as an HTML5 parser would for well-formed pages and
    for the end tags pages commonly leave out."""

    def __init__(self) -> None:
        self.root = Node("", None)
        self.stack = [self.root]

    @property
    def top(self) -> Node:
        return self.stack[-1]

    def __len__(self) -> int:
        return len(self.stack)

    def start(self, tag: str) -> Node:
        """Open *tag* (after closing what it implies); a void element is not kept open."""
        tags = [n.tag for n in self.stack]
        if "head" in tags and tag not in _HEAD_CONTENT and tag != "head":
            self._pop_to(tags.index("head"))
        if tag in _CLOSES_P:
            self._close({"p"}, _SCOPE)
        if tag in _IMPLIED:
            self._close(*_IMPLIED[tag])
        node = Node(tag, self.top)
        if tag not in VOID:
            self.stack.append(node)
        return node

    def end(self, tag: str) -> None:
        """Close the innermost open *tag* and everything opened inside it; a stray end tag
        changes nothing."""
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                self._pop_to(i)
                return

    def _close(self, targets: set[str], boundary: set[str]) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in targets:
                self._pop_to(i)
                return
            if tag in boundary:
                return

    def _pop_to(self, i: int) -> None:
        del self.stack[i:]


__all__ = ["VOID", "Node", "OpenElements"]
