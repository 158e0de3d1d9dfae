import { Badge, Table, Text } from '@mantine/core';
import type { Coupon, Platform } from '@codetrack/contracts';
import { platformNames } from '../../../lib/format.ts';

type Enforcement = Coupon['enforcement'][number];
type RestrictionName = 'firstTimeOnly' | 'minimumAmount' | 'expiresAt' | 'maxRedemptions';

const restrictionLabels: Record<RestrictionName, string> = {
  firstTimeOnly: 'First-time customers only',
  minimumAmount: 'Minimum order amount',
  expiresAt: 'Expiry date',
  maxRedemptions: 'Maximum redemptions',
};

/** Builds the matrix rows from connections' capabilities, for a coupon not saved yet. */
export function enforcementFromCapabilities(
  connections: { id: string; platform: Platform; capabilities: { enforcedByPlatform: RestrictionName[]; enforcedAtAttribution: RestrictionName[] } }[],
): Enforcement[] {
  return connections.map((c) => ({
    connectionId: c.id,
    platform: c.platform,
    restrictions: Object.fromEntries(
      (Object.keys(restrictionLabels) as RestrictionName[]).map((name) => [
        name,
        c.capabilities.enforcedByPlatform.includes(name) ? 'platform' : 'attribution',
      ]),
    ) as Enforcement['restrictions'],
  }));
}

/**
 * Where each restriction is enforced on each connected platform: at the platform's checkout (the
 * customer cannot use the code) or at attribution (the order goes through, but earns no commission).
 */
export function EnforcementMatrix({ enforcement, names }: { enforcement: Enforcement[]; names?: Record<string, string> }) {
  if (enforcement.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Not synced to any platform: every restriction is checked at attribution only.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={360}>
      <Table withTableBorder aria-label="Where each restriction is enforced">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Restriction</Table.Th>
            {enforcement.map((e) => (
              <Table.Th key={e.connectionId} scope="col">
                {names?.[e.connectionId] ?? platformNames[e.platform]}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(Object.keys(restrictionLabels) as RestrictionName[]).map((name) => (
            <Table.Tr key={name}>
              <Table.Th scope="row" fw={400}>
                {restrictionLabels[name]}
              </Table.Th>
              {enforcement.map((e) => {
                const where = e.restrictions[name];
                return (
                  <Table.Td key={e.connectionId}>
                    {where === 'platform' ? (
                      <Badge color="teal" variant="light">
                        At checkout
                      </Badge>
                    ) : (
                      <Badge color="orange" variant="light">
                        At attribution
                      </Badge>
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt={4}>
        At checkout: the platform refuses the code. At attribution: the order goes through, but Codetrack pays no commission on it.
      </Text>
    </Table.ScrollContainer>
  );
}
