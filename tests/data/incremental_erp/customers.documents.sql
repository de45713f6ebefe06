SELECT CAST(id AS TEXT) AS document_id FROM partner
