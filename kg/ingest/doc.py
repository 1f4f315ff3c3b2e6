"""Old Word .doc and RTF -> text, through LibreOffice (to .docx), else antiword or catdoc."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from kg.ingest.docx import read_docx_text
from kg.ingest.source import DEFAULT_LIMITS, IngestError, Limits, nfc as _nfc, too_big

_NO_CONVERTER = (
    "old Word format ({what}): no converter on this machine; install LibreOffice "
    "(Debian: libreoffice-writer-nogui){alt}, or save the file as .docx"
)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_soffice(data: bytes, suffix: str, target: str, path: str, timeout: float = 180) -> bytes:
    """Convert bytes with LibreOffice headless; a private profile lets several run at once."""
    soffice = _soffice()
    if soffice is None:
        raise IngestError(path, "LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="kg-convert-") as tmp:
        src = Path(tmp, "input" + suffix)
        src.write_bytes(data)
        out_dir = Path(tmp, "out")
        cmd = [
            soffice, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
            "--norestore", "--nologo", "--convert-to", target, "--outdir", str(out_dir), str(src),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise IngestError(path, f"conversion with LibreOffice took over {timeout:.0f} s; gave up") from None
        except OSError as e:
            raise IngestError(path, f"cannot run LibreOffice: {e.strerror or e}") from None
        produced = sorted(out_dir.glob("input.*")) if out_dir.exists() else []
        if proc.returncode != 0 or not produced:
            last = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
            detail = f" ({last[-1]})" if last else ""
            raise IngestError(path, f"LibreOffice could not convert this file{detail}")
        return produced[0].read_bytes()


def read_doc_text(data: bytes, path: str, what: str = ".doc", limits: Limits = DEFAULT_LIMITS) -> str:
    if _soffice():
        docx_bytes = convert_with_soffice(data, ".rtf" if what == "RTF" else ".doc", "docx", path)
        return read_docx_text(docx_bytes, path, limits)
    if what != "RTF":
        for tool, args in (("antiword", ["-w", "0", "-m", "UTF-8.txt"]), ("catdoc", ["-d", "utf-8", "-w"])):
            exe = shutil.which(tool)
            if exe is None:
                continue
            with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
                tmp.write(data)
                tmp.flush()
                try:
                    proc = subprocess.run([exe, *args, tmp.name], capture_output=True, timeout=120,
                                          stdin=subprocess.DEVNULL)
                except (subprocess.TimeoutExpired, OSError) as e:
                    raise IngestError(path, f"{tool} failed: {e}") from None
            if len(proc.stdout) > limits.max_inflated:
                raise too_big(path, len(proc.stdout), limits, f"the text {tool} made of this .doc")
            if proc.returncode == 0 and proc.stdout.strip():
                return _nfc(proc.stdout.decode("utf-8", errors="replace"))
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise IngestError(path, f"{tool} could not read this .doc" + (f" ({err[-1]})" if err else ""))
    alt = "" if what == "RTF" else " or antiword"
    raise IngestError(path, _NO_CONVERTER.format(what=what, alt=alt))


