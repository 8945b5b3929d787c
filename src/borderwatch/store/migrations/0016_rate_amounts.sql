-- The won's market rates (KPW per USD or CNY) by currency and unit, so the rates page finds the
-- few reports that tell one instead of checking every price event (issue 8: 220 ms at 50,000
-- reports). Partial: only money amounts are rates; store/prices._price_events says kind = 'money'.
CREATE INDEX amounts_rates ON amounts(currency, per, report_id) WHERE kind = 'money';
