SELECT CAST(id AS TEXT) AS document_id FROM sale_order
