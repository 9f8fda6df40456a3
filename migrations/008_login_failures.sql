-- Failed sign-ins per account and client address, kept for the login delay (shared/rate_limit.py).
-- Both keys are HMACs under SECRET_KEY, so the table reveals neither the emails tried nor the addresses;
-- rows of unknown emails are kept too, so a delay never tells whether an account exists.
CREATE TABLE login_failures (
    account_key VARCHAR(64) NOT NULL,
    client_key VARCHAR(64) NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (account_key, client_key)
);
CREATE INDEX idx_login_failures_last ON login_failures (last_failure_at);
