import { Paper, SimpleGrid, Title } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DayPoint } from './timeline.ts';

/** The recharts part of the dashboard: its own chunk, loaded after the figures. */
export default function DashboardCharts({ points, currency }: { points: DayPoint[]; currency: string }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Paper withBorder p="md">
        <Title order={2} size="h5" mb="sm">
          Revenue and commissions per day ({currency})
        </Title>
        <div style={{ width: '100%', height: 240 }} role="img" aria-label={`Revenue and commissions per day in ${currency}`}>
          <ResponsiveContainer>
            <LineChart data={points}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} fontSize={12} />
              <YAxis fontSize={12} />
              <Tooltip />
              <Line type="monotone" dataKey="revenue" name="Revenue" stroke="#4c6ef5" dot={false} />
              <Line type="monotone" dataKey="commissions" name="Commissions" stroke="#12b886" dot={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h5" mb="sm">
          Orders per day
        </Title>
        <div style={{ width: '100%', height: 240 }} role="img" aria-label="Orders per day">
          <ResponsiveContainer>
            <BarChart data={points}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} fontSize={12} />
              <YAxis allowDecimals={false} fontSize={12} />
              <Tooltip />
              <Bar dataKey="orders" name="Orders" fill="#7950f2" />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Paper>
    </SimpleGrid>
  );
}
