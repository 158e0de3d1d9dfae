import type { PortalStats } from '@codetrack/contracts';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney, fromMinorUnits } from '@codetrack/web/money';
import { formatDate, formatMajorUnits } from '../../../lib/format.ts';

/** Orders and clicks per day with the commission line; loaded on its own because recharts is large. */
export function ResultsChart({ stats }: { stats: PortalStats }) {
  const data = stats.perDay.map((d) => ({ ...d, label: formatDate(d.date).replace(/ \d{4}$/, ''), commissionMajor: fromMinorUnits(d.commission, stats.currency) }));
  return (
    <ResponsiveContainer width="100%" height={260}>
      <ComposedChart data={data} margin={{ top: 8, right: 0, bottom: 0, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={16} />
        <YAxis yAxisId="count" allowDecimals={false} tick={{ fontSize: 12 }} />
        <YAxis yAxisId="money" orientation="right" tick={{ fontSize: 12 }} tickFormatter={(v: number) => formatMajorUnits(v, stats.currency)} />
        <Tooltip
          formatter={(value, name, item) =>
            name === 'Commission' ? formatMoney((item.payload as { commission: number }).commission, stats.currency) : String(value)
          }
        />
        <Legend />
        <Bar yAxisId="count" dataKey="clicks" name="Clicks" fill="#a5b4fc" />
        <Bar yAxisId="count" dataKey="orders" name="Orders" fill="#4f46e5" />
        <Line yAxisId="money" dataKey="commissionMajor" name="Commission" stroke="#0f766e" strokeWidth={2} dot={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
