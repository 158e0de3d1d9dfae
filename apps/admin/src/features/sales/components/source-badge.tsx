import { Badge } from '@mantine/core';
import type { AttributionSource } from '@codetrack/contracts';

const colors = { code: 'indigo', cookie: 'cyan', customer: 'grape', none: 'gray' } as const;
const labels = { code: 'code', cookie: 'referral link', customer: 'returning customer', none: 'unattributed' } as const;

export function SourceBadge({ source }: { source: AttributionSource }) {
  return (
    <Badge color={colors[source]} variant="light" data-source={source}>
      {labels[source]}
    </Badge>
  );
}
