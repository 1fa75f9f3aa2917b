"""Data exchange with the tools analysts already use: exports (CSV, GeoJSON, JSON, STIX 2.1)
and imports of ACLED and UCDP GED files as draft incidents. One module per format."""
