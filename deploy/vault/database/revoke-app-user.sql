-- Revocation statements of both database roles: the short-lived user owns nothing and holds no
-- direct grants (only its membership), so dropping it is all there is to do.
DROP ROLE IF EXISTS "{{name}}";
