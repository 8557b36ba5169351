package dev.economyengine.ledger;

/**
 * The money rule applied to one request against the user's current balance in the request's currency
 * and that currency's cap. A business outcome is a value here, never an exception: an unaffordable
 * spend is simply a {@link Reject}.
 */
public sealed interface Decision permits Decision.Accept, Decision.Reject {

    record Accept(long amount, long newBalance) implements Decision {}

    record Reject(ResultCode code, String message, Long amount) implements Decision {}

    static Decision decide(Request request, long balance, long cap) {
        if (balance < 0 || balance > Money.MAX_CAP) {
            throw new IllegalStateException("stored balance out of range: " + balance);
        }
        if (request instanceof Request.Earn earn) {
            // Both operands are at most 10^15, so the sum cannot overflow a long.
            long after = balance + earn.amount();
            return after > cap
                    ? new Reject(ResultCode.BALANCE_CAP_EXCEEDED,
                            "crediting " + earn.amount() + " would take the balance past " + cap, earn.amount())
                    : new Accept(earn.amount(), after);
        }
        if (request instanceof Request.Spend spend) {
            return spend.amount() > balance
                    ? new Reject(ResultCode.INSUFFICIENT_BALANCE,
                            "balance " + balance + " is less than " + spend.amount(), spend.amount())
                    : new Accept(spend.amount(), balance - spend.amount());
        }
        Request.Rejected rejected = (Request.Rejected) request;
        return new Reject(rejected.code(), rejected.message(), rejected.amount());
    }
}
