"""What a browser sends back from an edit page: every field as the page filled it in, and the
hidden version of the record the page was opened at (``core.versions``)."""

from html.parser import HTMLParser

from core.versions import VERSION_FIELD


class _PostForms(HTMLParser):
    """The name/value pairs each POST form of a page submits as it stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.fields, self.select, self.options, self.textarea = [], None, None, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.fields = []
            self.forms.append(self.fields)
        elif self.fields is None or (not a.get("name") and tag in ("input", "select", "textarea")):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
            ticks = a.get("type") in ("checkbox", "radio")
            if not ticks or "checked" in a:
                self.fields.append((a["name"], a.get("value", "on" if ticks else "")))
        elif tag == "select":
            self.select, self.options = (a["name"], "multiple" in a), []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.fields = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.fields += [(name, value) for value in chosen]
            self.select = None


def submitted(body):
    """{name: value, or a list of values} that the page's edit form submits: the POST form that
    carries a record version, or else the last POST form on the page (the header's log-out is first)."""
    parser = _PostForms()
    parser.feed(body)
    forms = [f for f in parser.forms if any(name == VERSION_FIELD for name, _ in f)] or parser.forms[-1:]
    values = {}
    for name, value in forms[0] if forms else []:
        values.setdefault(name, []).append(value)
    return {name: v[0] if len(v) == 1 else v for name, v in values.items()}


def opened_version(client, url):
    """The hidden record version of the edit page at ``url`` as ``client`` opens it now ({} if none)."""
    token = submitted(client.get(url).content.decode()).get(VERSION_FIELD)
    return {VERSION_FIELD: token} if token else {}
