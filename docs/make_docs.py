"""``make docs``: every document of the examples, generated, printed to PDF by LibreOffice and
rendered page by page to PNG for a human look (``build/docs``, not committed).

    .venv/bin/python docs/make_docs.py [build/docs] [--readme]

With ``--readme``, the first page of each piece is also written small under ``docs/images/``
(the README shows them). Needs LibreOffice (``soffice``) and poppler (``pdftoppm``):
``make system-deps``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
IMAGES = ROOT / "docs" / "images"
#: The pieces the README shows: file stem in the build → image name.
README_PIECES = {
    "RC": "rc",
    "AE_lot_1": "acte_engagement",
    "CCAP": "ccap",
    "CCTP": "cctp",
    "BPU_DQE_lot_1": "bpu_dqe",
    "Rapport_analyse": "rapport_analyse",
    "Avenant": "avenant",
    "Rapport_pilotage": "rapport_pilotage",
    "03_rejet_primeurs_du_val_sarl": "lettre_rejet",
}


def example(name: str) -> object:
    return json.loads((EXAMPLES / name).read_text("utf-8"))


def generate(out: Path) -> list[Path]:
    from openamo.documents.avenant import make_avenant_from_dict
    from openamo.documents.dce import generate_dce_from_dict
    from openamo.documents.letters import make_letters_from_dict
    from openamo.documents.pilotage import write_steering_report_from_dict
    from openamo.documents.rapport import write_report_from_dict

    generate_dce_from_dict(example("dce_generate.json"), out)
    write_report_from_dict(example("offres_rapport.json"), out / "Rapport_analyse.docx")
    make_avenant_from_dict(example("avenant_document.json"), out / "Avenant.docx")
    write_steering_report_from_dict(example("projet_rapport.json"), out / "Rapport_pilotage.docx")
    letters = out / "lettres"
    make_letters_from_dict(example("attribution_lettres.json"), letters)
    for docx in letters.glob("*.docx"):
        shutil.move(str(docx), out / docx.name)
    shutil.rmtree(letters)
    return sorted(path for path in out.iterdir() if path.suffix in {".docx", ".xlsx"})


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        sys.exit(f"« {name} » introuvable : make system-deps (LibreOffice et poppler-utils).")
    return found


def main(arguments: list[str]) -> int:
    readme = "--readme" in arguments
    rest = [argument for argument in arguments if argument != "--readme"]
    build = Path(rest[0]) if rest else ROOT / "build" / "docs"
    if build.exists():
        shutil.rmtree(build)
    sources, pdf, png = build / "sources", build / "pdf", build / "png"
    for folder in (sources, pdf, png):
        folder.mkdir(parents=True)
    files = generate(sources)
    soffice, pdftoppm, pdfinfo = tool("soffice"), tool("pdftoppm"), tool("pdfinfo")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(pdf),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=900,
            # French number display in the spreadsheets (« 3 500 », « 0,00 € »), as a buyer's
            # LibreOffice or Excel shows them: the format codes follow the locale.
            env=os.environ | {"LANG": "fr_FR.UTF-8", "LC_ALL": "fr_FR.UTF-8"},
        )
    for document in sorted(pdf.glob("*.pdf")):
        info = subprocess.run([pdfinfo, str(document)], capture_output=True, text=True, check=True)
        pages = next(line.split()[-1] for line in info.stdout.splitlines() if "Pages" in line)
        subprocess.run(
            [pdftoppm, "-r", "60", "-png", str(document), str(png / document.stem)], check=True
        )
        sys.stdout.write(f"{document.stem} : {pages} page(s)\n")
        if readme and document.stem in README_PIECES:
            IMAGES.mkdir(parents=True, exist_ok=True)
            target = IMAGES / README_PIECES[document.stem]
            subprocess.run(
                [
                    pdftoppm,
                    "-r",
                    "40",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(document),
                    str(target),
                ],
                check=True,
            )
    sys.stdout.write(f"PDF dans {pdf}, pages en PNG dans {png}.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
