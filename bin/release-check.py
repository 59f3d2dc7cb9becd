#!/usr/bin/env python3
"""Checks version 0.3.0's Maven Central bundle (issue 39); called by bin/release-check.

usage: release-check.py FIRST_BUNDLE BUNDLE GNUPGHOME ARTIFACT...

FIRST_BUNDLE and BUNDLE come from two clean builds: their jars, POMs and SBOMs must be byte-identical. BUNDLE must
hold, for the parent POM and every ARTIFACT, what Maven Central requires: the POM (name, description, url, licences,
developers, scm), for jar packaging the jar, sources and javadoc, and our CycloneDX SBOM; each file with a signature
that verifies against the throwaway key in GNUPGHOME and with .md5 and .sha1 checksums that match.
"""
import hashlib
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

GROUP = "io/onetimeshare"
VERSION = "0.3.0"
NS = {"m": "http://maven.apache.org/POM/4.0.0"}
failures = []


def fail(msg):
    failures.append(msg)


def main():
    first, bundle, gnupg, artifacts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    artifacts = ["onetimeshare-parent"] + artifacts
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(bundle) as b:
        names = {n for n in b.namelist() if not n.endswith("/")}
        first_names = {n for n in a.namelist() if not n.endswith("/")}
        for n in sorted(names):
            if "SNAPSHOT" in n:
                fail(f"a SNAPSHOT in the bundle: {n}")
            if not n.startswith(GROUP + "/"):
                fail(f"outside io.onetimeshare: {n}")
        expected_dirs = {f"{GROUP}/{art}/{VERSION}/" for art in artifacts}
        dirs = {n[: n.rindex("/") + 1] for n in names if not n.endswith("/")}
        for d in sorted(dirs - expected_dirs):
            fail(f"not a published artifact: {d}")
        parent_name = f"{GROUP}/onetimeshare-parent/{VERSION}/onetimeshare-parent-{VERSION}.pom"
        parent = ET.fromstring(b.read(parent_name)) if parent_name in names else None
        with tempfile.TemporaryDirectory() as tmp:
            for art in artifacts:
                check_artifact(a, b, first_names, names, art, tmp, gnupg, parent)
    if failures:
        print("release-check: the bundle is not ready:", file=sys.stderr)
        for f in failures:
            print("  - " + f, file=sys.stderr)
        sys.exit(1)
    print(f"release-check: {len(artifacts)} artifacts, {len(names)} files: layout, POMs, signatures, checksums and "
          "reproducibility checked")


def inherited(pom, parent, path):
    """A POM field, or the parent's when the module inherits it (Central reads the effective POM)."""
    v = (pom.findtext(path, "", NS) or "").strip()
    if v or parent is None or pom.find("m:parent", NS) is None:
        return v
    return (parent.findtext(path, "", NS) or "").strip()


def check_artifact(first, bundle, first_names, names, art, tmp, gnupg, parent):
    base = f"{GROUP}/{art}/{VERSION}/{art}-{VERSION}"
    pom_name = base + ".pom"
    if pom_name not in names:
        fail(f"{art}: no POM")
        return
    pom = ET.fromstring(bundle.read(pom_name))
    packaging = pom.findtext("m:packaging", "jar", NS)
    for field in ("name", "description"):
        if not (pom.findtext(f"m:{field}", "", NS) or "").strip():
            fail(f"{art}: POM without <{field}>")
    for path in ("m:url", "m:licenses/m:license/m:name", "m:developers/m:developer/m:name", "m:scm/m:url",
                 "m:scm/m:connection"):
        if not inherited(pom, parent, path):
            fail(f"{art}: POM without {path.replace('m:', '')} (nor its parent)")
    files = [pom_name]
    if packaging == "jar":
        files += [base + ".jar", base + "-sources.jar", base + "-javadoc.jar", base + "-cyclonedx.json"]
    for f in files:
        if f not in names:
            fail(f"{art}: missing {f.rsplit('/', 1)[1]}")
            continue
        data = bundle.read(f)
        for ext, algo in ((".md5", hashlib.md5), (".sha1", hashlib.sha1)):
            if f + ext not in names:
                fail(f"{art}: no {ext} for {f.rsplit('/', 1)[1]}")
            elif bundle.read(f + ext).decode().split()[0].strip() != algo(data).hexdigest():
                fail(f"{art}: {ext} of {f.rsplit('/', 1)[1]} does not match")
        if f + ".asc" not in names:
            fail(f"{art}: {f.rsplit('/', 1)[1]} is not signed")
        else:
            verify(f, data, bundle.read(f + ".asc"), tmp, gnupg, art)
        if f in first_names and first.read(f) != data:
            fail(f"{art}: {f.rsplit('/', 1)[1]} differs between two builds (not reproducible)")
        elif f not in first_names:
            fail(f"{art}: {f.rsplit('/', 1)[1]} missing from the first build")
    if packaging == "jar" and base + "-cyclonedx.json" in names:
        import json
        sbom = json.loads(bundle.read(base + "-cyclonedx.json"))
        if sbom.get("bomFormat") != "CycloneDX" or sbom.get("metadata", {}).get("component", {}).get("name") != art:
            fail(f"{art}: the SBOM does not describe {art}")


def verify(name, data, sig, tmp, gnupg, art):
    d = os.path.join(tmp, "file")
    s = os.path.join(tmp, "file.asc")
    with open(d, "wb") as f:
        f.write(data)
    with open(s, "wb") as f:
        f.write(sig)
    r = subprocess.run(["gpg", "--batch", "--homedir", gnupg, "--verify", s, d], capture_output=True)
    if r.returncode != 0:
        fail(f"{art}: the signature of {name.rsplit('/', 1)[1]} does not verify")


if __name__ == "__main__":
    main()
