"""The voortgangsrapportage on the Thema's page: download the plan's acties as .xlsx, fill in
status, owner, date and note, and upload the file back (redacteur). Every row is checked
first (`ingest.voortgang`); one problem and nothing is stored."""

from __future__ import annotations

import streamlit as st

from dashboard.domain import progress, report
from dashboard.errors import ValidationError
from dashboard.ingest import voortgang
from dashboard.render import xlsx
from dashboard.store import plans
from dashboard.web import login

FLASH = "voortgang_flash"


def section(eng, plan: dict, acts, titles: dict, gemeente: str, city: str) -> None:
    """The subheader of the progress part, then the workbook's download and upload."""
    st.subheader("Voortgang registreren")
    if flash := st.session_state.pop(FLASH, None):
        st.success(flash)
    with st.expander("Voortgangsrapportage in Excel: alle acties in één keer"):
        st.markdown(
            "Download de acties van dit plan met hun huidige status als Excel-bestand, vul per "
            "actie status, eigenaar, datum en toelichting in en lees het bestand hier weer in. "
            "Elke rij wordt eerst gecontroleerd; bij één fout wordt niets opgeslagen."
        )
        version = plans.progress_version(eng)[0]

        def data() -> bytes:  # built when the button is pressed, not on every run of the page
            return xlsx.voortgang_xlsx(
                report.rows(acts, titles),
                report.instructions(plan["plan_id"], plan["title"], gemeente, city, version),
            )

        st.download_button(
            "Voortgangsrapportage (.xlsx)",
            data,
            file_name=f"voortgang_{gemeente}_{plan['plan_id']}.xlsx",
            mime=xlsx.MIME,
            icon=":material/download:",
        )
        if not login.may(progress.ROLE):
            st.caption("Inlezen kan alleen een redacteur of beheerder (log in via de zijbalk).")
            return
        with st.form("voortgangsrapportage"):
            upload = st.file_uploader("Ingevulde voortgangsrapportage", type=["xlsx"])
            submitted = st.form_submit_button("Voortgangsrapportage inlezen")
        if submitted and upload is not None:
            upload_report(eng, upload.name, upload.getvalue(), plan["plan_id"], gemeente)


def upload_report(eng, name: str, data: bytes, plan_id: str, gemeente: str) -> None:
    try:
        result = voortgang.apply(
            eng,
            data,
            name,
            plan_id=plan_id,
            gemeente=gemeente,
            user=st.session_state.get("user"),
            role=login.role(),
        )
    except ValidationError as exc:
        st.error("Voortgangsrapportage geweigerd; er is niets veranderd.")
        st.code(exc.summary(), language=None, wrap_lines=True)  # text, never markdown
    else:
        st.session_state[FLASH] = result.summary()
        st.rerun()
