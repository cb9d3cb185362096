"""Crossref records shared by several tests (the STIM trial, hand-typed in the API's `message` shape)."""

STIM_RECORD = {
    "DOI": "10.1016/S1470-2045(10)70233-3",
    "type": "journal-article",
    "title": [
        "Discontinuation of imatinib in patients with chronic myeloid leukaemia who have maintained complete "
        "molecular remission for at least 2 years: the prospective, multicentre Stop Imatinib (STIM) trial"
    ],
    "author": [{"family": "Mahon", "given": "François-Xavier"}, {"family": "Réa", "given": "Delphine"}],
    "container-title": ["The Lancet Oncology"],
    "short-container-title": ["Lancet Oncol"],
    "issued": {"date-parts": [[2010, 11]]},
    "volume": "11",
    "issue": "11",
    "page": "1029-1035",
}
