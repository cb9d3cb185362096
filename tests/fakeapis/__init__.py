"""Fake OpenAlex, PubMed E-utilities, Semantic Scholar and Open Library servers on 127.0.0.1 for tests and
benchmarks, each speaking its API's dialect as recorded in ../shared/data/api-responses (Open Library's as
documented), including not-found and error replies, and enforcing its published rate limit with 429s."""
