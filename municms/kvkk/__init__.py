"""KVKK (6698 s. Kişisel Verilerin Korunması Kanunu): personal data found in a submission at intake and in every
revision; findings are stored masked with the revision, put on the receipt and must be overridden to approve."""

from .findings import Finding, findings_text, open_findings
from .scan import scan_submission

__all__ = ["Finding", "findings_text", "open_findings", "scan_submission"]
