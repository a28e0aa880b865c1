"""Money as the trust writes it: "£1,250,000", with pence only when there are any ("£1,234.50")."""

from decimal import Decimal


def pounds(amount):
    amount = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    return f"£{amount:,.0f}" if amount == amount.to_integral() else f"£{amount:,.2f}"
