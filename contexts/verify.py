#!/usr/bin/env python3
"""Check contexts/manifest.json against the files beside it.

Offline (default): for every manifest entry the file exists, its SHA-256
matches, and it parses as a JSON object with a top-level "@context"; the
entries are sorted by URL with no URL listed twice; every entry names where
its bytes came from (either "source", a pinned GitHub file, or
"package"/"version"/"path", an npm tarball member); "test_only", if present,
is a boolean; and every *.jsonld file in this folder is listed.

With --npm: also re-download each named package version with `npm pack` and
check that
  * an entry with "package" is byte-identical to the package's copy (or, for
    entries marked "derived", to JSON.stringify(obj, null, 2) of the object the
    package exports for that URL);
  * an entry with "also_in" (a file taken from GitHub that an npm package also
    carries) parses to the same JSON value as the package's copy.
Needs npm, node and the npm registry.

With --github: also download each "source" file from raw.githubusercontent.com
at its pinned commit and check that it is byte-identical. Needs network access.

Exit status 0 when every check passes, 1 otherwise.
"""

import hashlib
import json
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent

# "github:OWNER/REPO/PATH/IN/REPO@COMMIT" (COMMIT: the full 40-hex SHA-1).
SOURCE_RE = re.compile(r"^github:([^/@]+)/([^/@]+)/([^@]+)@([0-9a-f]{40})$")

# Prints the object the package exports for one URL, as the "derived" entries
# were made.
STRINGIFY_JS = (
    "const {contexts} = require(process.argv[1]);"
    "const o = contexts.get(process.argv[2]);"
    "if (!o) { console.error('no context for ' + process.argv[2]); process.exit(3); }"
    "process.stdout.write(JSON.stringify(o, null, 2));"
)


def check_provenance(e):
    """Problems with the fields that say where an entry's bytes came from."""
    errors = []
    name = e.get("file", e.get("url"))
    has_source = "source" in e
    has_package = "package" in e
    if has_source == has_package:
        errors.append(f"{name}: needs exactly one of 'source' or 'package'")
    if has_source and not SOURCE_RE.match(e["source"]):
        errors.append(f"{name}: source {e['source']!r} is not github:OWNER/REPO/PATH@COMMIT")
    if has_package:
        for key in ("version", "path"):
            if key not in e:
                errors.append(f"{name}: 'package' entry without '{key}'")
    if "also_in" in e:
        if not has_source:
            errors.append(f"{name}: 'also_in' is only for 'source' entries")
        also = e["also_in"]
        if not isinstance(also, dict) or not all(k in also for k in ("package", "version", "path")):
            errors.append(f"{name}: 'also_in' needs package, version and path")
    if "derived" in e and not has_package:
        errors.append(f"{name}: 'derived' is only for 'package' entries")
    if "test_only" in e and not isinstance(e["test_only"], bool):
        errors.append(f"{name}: 'test_only' must be true or false")
    return errors


def check_offline(entries):
    errors = []
    urls = [e["url"] for e in entries]
    if urls != sorted(urls):
        errors.append("manifest entries are not sorted by url")
    if len(set(urls)) != len(urls):
        errors.append("a url is listed more than once")
    for e in entries:
        errors += check_provenance(e)
        path = HERE / e["file"]
        if not path.is_file():
            errors.append(f"{e['url']}: missing file {e['file']}")
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != e["sha256"]:
            errors.append(f"{e['file']}: sha256 {digest} != manifest {e['sha256']}")
        try:
            doc = json.loads(data)
        except ValueError as exc:
            errors.append(f"{e['file']}: not JSON ({exc})")
            continue
        if not isinstance(doc, dict) or "@context" not in doc:
            errors.append(f"{e['file']}: no top-level @context")
    listed = {e["file"] for e in entries}
    for path in sorted(HERE.glob("*.jsonld")):
        if path.name not in listed:
            errors.append(f"{path.name}: not in manifest.json")
    return errors


class Npm:
    """Unpacks each package version once, into a temporary directory."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.unpacked = {}

    def package_dir(self, spec):
        if spec not in self.unpacked:
            out = subprocess.run(
                ["npm", "pack", spec, "--silent", "--pack-destination", str(self.tmp)],
                check=True, capture_output=True, text=True,
            ).stdout.split()[-1]
            dest = self.tmp / f"unpacked-{len(self.unpacked)}"
            with tarfile.open(self.tmp / out) as tar:
                try:
                    tar.extractall(dest, filter="data")
                except TypeError:  # Python without extraction filters
                    tar.extractall(dest)
            self.unpacked[spec] = dest
        return self.unpacked[spec]

    def expected_bytes(self, ref, url):
        """The bytes the package gives for ref (package/version/path[/derived])."""
        dest = self.package_dir(f"{ref['package']}@{ref['version']}")
        if "derived" in ref:
            key = ref.get("export_key", url)
            return subprocess.run(
                ["node", "-e", STRINGIFY_JS, str(dest / "package"), key],
                check=True, capture_output=True,
            ).stdout
        return (dest / ref["path"]).read_bytes()


def check_npm(entries):
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        npm = Npm(pathlib.Path(tmp))
        for e in entries:
            ours = (HERE / e["file"]).read_bytes()
            if "package" in e:
                spec = f"{e['package']}@{e['version']}"
                if ours != npm.expected_bytes(e, e["url"]):
                    errors.append(f"{e['file']}: differs from {spec} {e['path']}")
                else:
                    print(f"npm ok    {e['file']}  <-  {spec} {e['path']}")
            elif "also_in" in e:
                also = e["also_in"]
                spec = f"{also['package']}@{also['version']}"
                theirs = json.loads(npm.expected_bytes(also, e["url"]))
                if json.loads(ours) != theirs:
                    errors.append(f"{e['file']}: JSON differs from {spec} {also['path']}")
                else:
                    print(f"npm json  {e['file']}  ==  {spec} {also['path']}")
    return errors


def raw_github_url(source):
    owner, repo, path, commit = SOURCE_RE.match(source).groups()
    return (f"https://raw.githubusercontent.com/{owner}/{repo}/{commit}/"
            f"{urllib.parse.quote(path)}")


def check_github(entries, fetch=None):
    if fetch is None:
        def fetch(url):
            with urllib.request.urlopen(url, timeout=60) as resp:
                return resp.read()
    errors = []
    fetched = {}
    for e in entries:
        if "source" not in e or not SOURCE_RE.match(e["source"]):
            continue
        url = raw_github_url(e["source"])
        if url not in fetched:
            try:
                fetched[url] = fetch(url)
            except OSError as exc:  # URLError, HTTPError and timeouts are OSErrors
                fetched[url] = None
                errors.append(f"{e['file']}: could not fetch {url} ({exc})")
                continue
        if fetched[url] is None:
            errors.append(f"{e['file']}: could not fetch {url}")
        elif (HERE / e["file"]).read_bytes() != fetched[url]:
            errors.append(f"{e['file']}: differs from {e['source']}")
        else:
            print(f"github ok {e['file']}  <-  {e['source']}")
    return errors


def main(argv):
    entries = json.loads((HERE / "manifest.json").read_text())["contexts"]
    errors = check_offline(entries)
    if "--npm" in argv[1:]:
        errors += check_npm(entries)
    if "--github" in argv[1:]:
        errors += check_github(entries)
    for err in errors:
        print("FAIL", err)
    print(f"{len(entries)} contexts, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
