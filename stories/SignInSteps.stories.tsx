import type { Meta, StoryObj } from '@storybook/react-vite'
import { AuthError } from 'react-cognito-refresh'
import type { SignInState } from 'react-cognito-refresh/sign-in'
import { ChallengeSteps } from '../playground/src/components/ChallengeSteps'

/**
 * Every step of headless sign-in (`createSignIn` / `useSignIn`), as the playground renders it:
 * the library gives the step and its data, the app draws the form. No token or secret of a real
 * user appears here: the TOTP key is a test value.
 */
const meta = {
  title: 'Sign-in steps',
  parameters: { layout: 'padded' },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

const none = () => undefined
const actions = {
  signIn: none,
  setNewPassword: none,
  submitCode: none,
  chooseFactor: none,
  selectMfa: none,
  reset: none,
}
const base = { busy: false, error: null, username: 'ada@example.com', expiresAt: null }
const show = (state: SignInState) => ({
  render: () => (
    <div style={{ maxWidth: 420 }}>
      <ChallengeSteps state={state} actions={actions} />
    </div>
  ),
})
const error = (code: ConstructorParameters<typeof AuthError>[0], message: string) =>
  new AuthError(code, message)

export const Start: Story = show({ ...base, step: 'start', username: null })
export const WrongPassword: Story = show({
  ...base,
  step: 'start',
  error: error('NotAuthorizedException', 'NotAuthorizedException: Incorrect username or password.'),
})
export const NewPassword: Story = show({
  ...base,
  step: 'newPassword',
  requiredAttributes: [],
  userAttributes: {},
})
export const NewPasswordTooWeak: Story = show({
  ...base,
  step: 'newPassword',
  requiredAttributes: [],
  userAttributes: {},
  error: error(
    'InvalidPasswordException',
    'InvalidPasswordException: Password does not conform to policy',
  ),
})
export const AuthenticatorCode: Story = show({ ...base, step: 'totpCode' })
export const WrongCode: Story = show({
  ...base,
  step: 'totpCode',
  error: error('CodeMismatchException', 'CodeMismatchException: Invalid code received for user'),
})
export const TextMessageCode: Story = show({
  ...base,
  step: 'smsCode',
  destination: '+*******0123',
})
export const EmailCode: Story = show({ ...base, step: 'emailCode', destination: 'a***@e***' })
export const ChooseFactor: Story = show({
  ...base,
  step: 'selectMfa',
  options: ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'],
})
export const ChooseFirstFactor: Story = show({
  ...base,
  step: 'selectFactor',
  options: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'],
})
export const SetUpAuthenticator: Story = show({
  ...base,
  step: 'setupTotp',
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  uri: 'otpauth://totp/Cognito%3Aada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Cognito',
})
export const Lapsed: Story = show({
  ...base,
  step: 'start',
  error: error('ChallengeExpired', 'The sign-in took longer than 3 minutes: start again.'),
})
