import { requireUser } from "@/lib/dal";

export default async function DashboardPage() {
  const auth = await requireUser("/dashboard");
  if (auth.status === "unavailable") return <p>{auth.message}</p>;
  return <h1 className="text-2xl font-bold">Hello {auth.user.name}</h1>;
}
