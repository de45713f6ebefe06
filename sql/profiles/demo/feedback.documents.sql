-- demo profile: feedback, the survey invitations that exist (answered or
-- not): one cskpi holds that is not listed here was deleted from the ERP.
SELECT CAST(a.id AS TEXT) AS document_id
FROM survey_answer a
