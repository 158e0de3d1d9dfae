import type { Coupon, CreateCouponInput, UpdateCouponInput } from '@codetrack/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';
import { couponKeys } from '../../../lib/program-lookups.ts';

export const couponQueryOptions = (couponId: string) =>
  queryOptions({
    queryKey: couponKeys.one(couponId),
    queryFn: ({ signal }) => apiRequest<Coupon>(`/api/coupons/${couponId}`, { signal }),
  });

export function useCreateCoupon(programId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCouponInput) => apiRequest<Coupon>(`/api/programs/${programId}/coupons`, { method: 'POST', body: input }),
    onSuccess: (coupon) => {
      queryClient.setQueryData(couponKeys.one(coupon.id), coupon);
      return queryClient.invalidateQueries({ queryKey: couponKeys.ofProgram(programId) });
    },
  });
}

export function useUpdateCoupon(programId: string, couponId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateCouponInput) => apiRequest<Coupon>(`/api/coupons/${couponId}`, { method: 'PATCH', body: input }),
    onSuccess: (coupon) => {
      queryClient.setQueryData(couponKeys.one(coupon.id), coupon);
      return queryClient.invalidateQueries({ queryKey: couponKeys.ofProgram(programId) });
    },
  });
}

export function useArchiveCoupon(programId: string, couponId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<Coupon>(`/api/coupons/${couponId}/archive`, { method: 'POST' }),
    onSuccess: (coupon) => {
      queryClient.setQueryData(couponKeys.one(coupon.id), coupon);
      return queryClient.invalidateQueries({ queryKey: couponKeys.ofProgram(programId) });
    },
  });
}
